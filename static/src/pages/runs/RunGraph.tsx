import { Box, Text } from "@chakra-ui/react";
import { Background, Controls, Handle, MarkerType, Position, ReactFlow, type Edge, type Node, type NodeProps } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { memo, useMemo } from "react";
import type { TaskOut } from "../../api/runs";
import { useAirflowColorMode } from "../../theme/colorMode";
import type { GraphModel } from "./runGraph";
import { NODE_H, NODE_W } from "./runGraph";
import { stateStyle } from "./taskState";

type TaskNodeData = { label: string; piece: string; state: string | null; selected: boolean; tries: string };
type TaskNode = Node<TaskNodeData, "task">;

const TaskNodeView = memo(function TaskNodeView({ data }: NodeProps<TaskNode>) {
  const style = stateStyle(data.state);
  const palette = style.palette;
  return (
    <Box
      w={`${NODE_W}px`}
      h={`${NODE_H}px`}
      px="3"
      py="2"
      borderRadius="md"
      borderWidth={data.selected ? "3px" : "2px"}
      borderColor={data.selected ? "brand.solid" : `${palette}.solid`}
      bg={`${palette}.subtle`}
      color="fg"
      boxShadow={data.selected ? "md" : "xs"}
      data-state={data.state ?? "none"}
      title={`${data.label}: ${style.label}`}
      cursor="pointer"
    >
      <Handle type="target" position={Position.Left} isConnectable={false} style={{ opacity: 0 }} />
      <Text fontWeight="semibold" textStyle="sm" truncate>
        {data.label}
      </Text>
      <Text textStyle="xs" color="fg.muted" truncate>
        <Box as="span" display="inline-block" w="2" h="2" borderRadius="full" bg={`${palette}.solid`} me="1.5" aria-hidden />
        {style.label}
        {data.tries}
        {data.piece ? ` · ${data.piece}` : ""}
      </Text>
      <Handle type="source" position={Position.Right} isConnectable={false} style={{ opacity: 0 }} />
    </Box>
  );
});

const NODE_TYPES = { task: TaskNodeView };

interface RunGraphProps {
  graph: GraphModel;
  tasks: readonly TaskOut[];
  selected: string | null;
  onSelect: (taskId: string) => void;
}

/** Read-only graph of a run; nodes take their colour from the (polled) task states. */
export function RunGraph({ graph, tasks, selected, onSelect }: RunGraphProps) {
  const colorMode = useAirflowColorMode();
  const byId = useMemo(() => new Map(tasks.map((task) => [task.task_id, task])), [tasks]);
  const nodes = useMemo<TaskNode[]>(
    () =>
      graph.tasks.map((task) => {
        const run = byId.get(task.id);
        return {
          id: task.id,
          type: "task",
          position: { x: task.x, y: task.y },
          data: {
            label: task.label,
            piece: task.piece,
            state: run?.state ?? null,
            selected: selected === task.id,
            tries: run && run.try_number > 1 ? ` · try ${run.try_number}` : "",
          },
          ariaLabel: `Task ${task.label}, ${stateStyle(run?.state).label}`,
          draggable: false,
          connectable: false,
        };
      }),
    [graph.tasks, byId, selected],
  );
  const edges = useMemo<Edge[]>(
    () =>
      graph.edges.map((edge) => {
        const state = byId.get(edge.source)?.state;
        return {
          id: `${edge.source}->${edge.target}`,
          source: edge.source,
          target: edge.target,
          markerEnd: { type: MarkerType.ArrowClosed },
          animated: state === "running",
        };
      }),
    [graph.edges, byId],
  );

  return (
    <Box h="100%" w="100%" css={{ "& .react-flow__attribution": { display: "none" } }}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        nodesDraggable={false}
        nodesConnectable={false}
        edgesFocusable={false}
        elementsSelectable
        onNodeClick={(_, node) => onSelect(node.id)}
        fitView
        fitViewOptions={{ padding: 0.2, maxZoom: 1.1 }}
        minZoom={0.1}
        proOptions={{ hideAttribution: true }}
        colorMode={colorMode}
        aria-label="Task graph of this run"
      >
        <Background gap={16} size={1} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </Box>
  );
}
