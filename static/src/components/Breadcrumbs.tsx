import { Link, Text } from "@chakra-ui/react";
import { Fragment } from "react";
import { Link as RouterLink } from "react-router";

export interface Crumb {
  label: string;
  to: string;
}

/** "Workflows / my flow / run": where a page sits, each level but the last a link back. */
export function Breadcrumbs({ trail, current }: { trail: readonly Crumb[]; current: string }) {
  return (
    <Text as="nav" aria-label="Breadcrumb" textStyle="sm" color="fg.muted">
      {trail.map((crumb) => (
        <Fragment key={crumb.to}>
          <Link asChild color="brand.fg">
            <RouterLink to={crumb.to}>{crumb.label}</RouterLink>
          </Link>{" "}
          /{" "}
        </Fragment>
      ))}
      {current}
    </Text>
  );
}
