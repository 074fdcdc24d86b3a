import { Heading, Text } from "@chakra-ui/react";
import type { ReactNode } from "react";

export function PageHeading({ title, children, description }: { title: ReactNode; description?: ReactNode; children?: ReactNode }) {
  return (
    <div style={{ display: "flex", alignItems: "flex-start", justifyContent: "space-between", gap: "1rem", flexWrap: "wrap" }}>
      <div>
        <Heading as="h2" size="xl">
          {title}
        </Heading>
        {description ? (
          <Text color="fg.muted" textStyle="sm">
            {description}
          </Text>
        ) : null}
      </div>
      {children ? <div style={{ display: "flex", gap: "0.5rem", flexWrap: "wrap", alignItems: "center" }}>{children}</div> : null}
    </div>
  );
}
