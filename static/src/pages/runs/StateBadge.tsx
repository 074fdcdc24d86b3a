import { Badge } from "@chakra-ui/react";
import { stateStyle } from "./taskState";

export function StateBadge({ state, size = "sm" }: { state: string | null | undefined; size?: "xs" | "sm" | "md" }) {
  const style = stateStyle(state);
  return (
    <Badge colorPalette={style.palette} variant="subtle" size={size} data-state={state ?? "none"}>
      {style.label}
    </Badge>
  );
}
