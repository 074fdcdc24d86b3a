import { Box, Button, ButtonGroup, HStack, Stack, Text } from "@chakra-ui/react";
import { Background, Controls, Handle, MarkerType, Position, ReactFlow, type Edge, type Node, type NodeProps } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { memo, useEffect, useMemo, useRef, useState } from "react";
import type { TaskOut } from "../../api/runs";
import { useAirflowColorMode } from "../../theme/colorMode";
import type { GraphModel } from "./runGraph";
import { NODE_H, NODE_W, readableAtFit, tasksInOrder } from "./runGraph";
import { instancesOf, instancesSummary } from "./mapInstances";
import { stateStyle } from "./taskState";

type TaskNodeData = { label: string; piece: string; state: string | null; selected: boolean; tries: string; instances: string };
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
      title={`${data.label}: ${style.label}${data.instances ? ` (${data.instances})` : ""}`}
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
        {data.instances ? ` · ${data.instances.replace(/:.*/, "")}` : data.piece ? ` · ${data.piece}` : ""}
      </Text>
      <Handle type="source" position={Position.Right} isConnectable={false} style={{ opacity: 0 }} />
    </Box>
  );
});

const NODE_TYPES = { task: TaskNodeView };
const SKIPPED_EDGE_STYLE = { strokeDasharray: "6 4", opacity: 0.6 };

interface RunGraphProps {
  graph: GraphModel;
  tasks: readonly TaskOut[];
  selected: string | null;
  onSelect: (taskId: string) => void;
}

type View = "graph" | "list";
/** The person's last choice, kept across runs and reloads. */
const VIEW_KEY = "domino.runGraph.view";

function readChosenView(): View | null {
  try {
    const v = window.localStorage.getItem(VIEW_KEY);
    return v === "graph" || v === "list" ? v : null;
  } catch {
    return null;
  }
}

/**
 * A run's tasks as a graph or, when the fitted graph would be too small to read (text under
 * 11 px, e.g. 7+ tasks in a row), as a list in dependency order; a toggle switches between them.
 */
export function RunGraph(props: RunGraphProps) {
  const box = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  const [chosen, setChosenState] = useState<View | null>(readChosenView);
  const setChosen = (v: View) => {
    setChosenState(v);
    try {
      window.localStorage.setItem(VIEW_KEY, v);
    } catch {
      /* private mode: the choice lasts for this page only */
    }
  };
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setSize((prev) => (prev && prev.width === el.clientWidth && prev.height === el.clientHeight ? prev : { width: el.clientWidth, height: el.clientHeight }));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const readable = size === null || readableAtFit(props.graph, size.width, size.height);
  const view: View = chosen ?? (readable ? "graph" : "list");
  return (
    <Box ref={box} h="100%" w="100%" position="relative">
      <HStack position="absolute" top="2" right="2" zIndex="5">
        <ButtonGroup size="2xs" variant="outline" attached bg="bg">
          {(["graph", "list"] as const).map((v) => (
            <Button key={v} aria-pressed={view === v} variant={view === v ? "solid" : "outline"} onClick={() => setChosen(v)}>
              {v === "graph" ? "Graph" : "List"}
            </Button>
          ))}
        </ButtonGroup>
      </HStack>
      {size === null ? null : view === "graph" ? <RunFlow {...props} /> : <RunList {...props} />}
    </Box>
  );
}

function RunList({ graph, tasks, selected, onSelect }: RunGraphProps) {
  const byId = useMemo(() => new Map(tasks.map((task) => [task.task_id, task])), [tasks]);
  const labels = useMemo(() => new Map(graph.tasks.map((t) => [t.id, t.label])), [graph.tasks]);
  return (
    <Box h="100%" overflowY="auto" p="3" pt="10">
      <Stack as="ol" aria-label="Tasks in order" gap="1" listStyleType="none" ps="0">
        {tasksInOrder(graph).map(({ task, after }) => {
          const run = byId.get(task.id);
          const style = stateStyle(run?.state);
          return (
            <Box as="li" key={task.id} data-task={task.id} data-state={run?.state ?? "none"}>
              <Button
                variant={selected === task.id ? "subtle" : "ghost"}
                size="sm"
                w="full"
                justifyContent="flex-start"
                h="auto"
                py="1.5"
                aria-pressed={selected === task.id}
                onClick={() => onSelect(task.id)}
              >
                <Box as="span" display="inline-block" w="2.5" h="2.5" borderRadius="full" bg={`${style.palette}.solid`} flexShrink={0} aria-hidden />
                <Box as="span" textAlign="start" minW="0">
                  <Text as="span" fontWeight="semibold" textStyle="sm" display="block" truncate>
                    {task.label}
                  </Text>
                  <Text as="span" textStyle="xs" color="fg.muted" display="block" truncate fontWeight="normal">
                    {style.label}
                    {run && run.try_number > 1 ? ` · try ${run.try_number}` : ""}
                    {instancesOf(run).length > 0 ? ` · ${instancesSummary(instancesOf(run))}` : ""}
                    {after.length > 0 ? ` · after ${after.map((id) => labels.get(id) ?? id).join(", ")}` : ""}
                  </Text>
                </Box>
              </Button>
            </Box>
          );
        })}
      </Stack>
    </Box>
  );
}

function RunFlow({ graph, tasks, selected, onSelect }: RunGraphProps) {
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
            instances: instancesSummary(instancesOf(run)),
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
        // The path a branch did not take: dashed and faded, like the skipped task it leads to.
        const skipped = byId.get(edge.target)?.state === "skipped";
        return {
          id: `${edge.source}->${edge.target}`,
          source: edge.source,
          target: edge.target,
          markerEnd: { type: MarkerType.ArrowClosed },
          animated: state === "running",
          ...(edge.label ? { label: edge.label } : {}),
          ...(skipped ? { style: SKIPPED_EDGE_STYLE, className: "run-edge-skipped" } : {}),
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
