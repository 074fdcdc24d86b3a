import { Box, Button, HStack, Text } from "@chakra-ui/react";
import { instancesSummary, type MapInstance } from "./mapInstances";
import { stateStyle } from "./taskState";

/** A for-each task's instances, one button each (item order, coloured by state); the logs and outputs below are the picked one's. */
export function InstancePicker({ instances, shown, onPick }: { instances: readonly MapInstance[]; shown: number; onPick: (mapIndex: number) => void }) {
  return (
    <Box>
      <Text textStyle="sm" mb="1" data-testid="instances-summary">
        For each item: {instancesSummary(instances)}
      </Text>
      <HStack role="group" aria-label="Instances" wrap="wrap" gap="1" maxH="32" overflowY="auto">
        {instances.map((instance) => {
          const style = stateStyle(instance.state);
          return (
            <Button
              key={instance.map_index}
              size="2xs"
              variant={instance.map_index === shown ? "solid" : "subtle"}
              colorPalette={style.palette}
              aria-pressed={instance.map_index === shown}
              aria-label={`Instance ${instance.map_index}: ${style.label}`}
              title={`Item ${instance.map_index}: ${style.label}${instance.try_number > 1 ? `, try ${instance.try_number}` : ""}`}
              data-state={instance.state ?? "none"}
              onClick={() => onPick(instance.map_index)}
            >
              {instance.map_index}
            </Button>
          );
        })}
      </HStack>
    </Box>
  );
}
