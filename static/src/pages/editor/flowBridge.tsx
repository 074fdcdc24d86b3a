import { useReactFlow, type ReactFlowInstance } from "@xyflow/react";
import { useLayoutEffect, useMemo, useRef, type ReactElement, type RefObject } from "react";
import type { TaskFlowNode } from "./TaskNode";

/** What the editor's commands ask of React Flow. */
export type FlowCommands = Pick<ReactFlowInstance<TaskFlowNode>, "fitView" | "screenToFlowPosition" | "getNode">;

function FlowInstance({ instanceRef }: { instanceRef: RefObject<ReactFlowInstance<TaskFlowNode> | null> }) {
  const flow = useReactFlow<TaskFlowNode>();
  useLayoutEffect(() => {
    instanceRef.current = flow;
  }, [flow, instanceRef]);
  return null;
}

/**
 * React Flow's commands for the editor, without useReactFlow in the editor itself: its instance
 * changes once, when the pane is initialised, and re-rendered every caller, i.e. the whole editor
 * with its panels right after opening (issue 12 benchmark: ~90 ms at 500 nodes). The instance's
 * methods read React Flow's store when called, so these delegate to the latest one, which the
 * returned element (rendered anywhere inside the ReactFlowProvider) keeps up to date.
 */
export function useFlowBridge(): { flow: FlowCommands; bridge: ReactElement } {
  const instance = useRef<ReactFlowInstance<TaskFlowNode> | null>(null);
  const flow = useMemo<FlowCommands>(
    () => ({
      fitView: (options) => instance.current?.fitView(options) ?? Promise.resolve(false),
      screenToFlowPosition: (position, options) => instance.current?.screenToFlowPosition(position, options) ?? position,
      getNode: (id) => instance.current?.getNode(id),
    }),
    [],
  );
  const bridge = useMemo(() => <FlowInstance instanceRef={instance} />, []);
  return { flow, bridge };
}
