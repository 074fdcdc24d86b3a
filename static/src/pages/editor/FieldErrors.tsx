import { Field } from "@chakra-ui/react";
import { InlineMarkdown } from "../../components/InlineMarkdown";
import { formatLoc, type TaskIssue } from "../../lib/validationPaths";

/**
 * The server's messages under a form field, inside a `Field.Root`. Messages quote names as Markdown code
 * (`x`), shown as code. With `under`, each message starts with where it is below that location
 * (`default: …`) when it is deeper; `where` says it otherwise (null: nothing).
 */
export function FieldErrors({
  issues,
  under,
  where,
  testId = "field-error",
}: {
  issues: readonly TaskIssue[];
  under?: readonly (string | number)[];
  where?: (issue: TaskIssue) => string | null;
  testId?: string;
}) {
  const place = (issue: TaskIssue) => (where ? where(issue) : under && issue.loc.length > under.length ? formatLoc(issue.loc.slice(under.length)) : null);
  return (
    <>
      {issues.map((issue, n) => (
        <Field.ErrorText key={n} data-testid={testId} display="block">
          {place(issue) ? <code>{place(issue)}: </code> : null}
          <InlineMarkdown text={issue.message} />
        </Field.ErrorText>
      ))}
    </>
  );
}
