import { Box } from "@chakra-ui/react";
import { useEffect, useRef, useState } from "react";

interface PlotlySpec {
  data?: unknown[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
}

/** A Plotly figure from `plotly_json`; plotly.js-dist-min (~1 MB) is loaded only when one is shown. */
export default function PlotlyChart({ spec, label }: { spec: PlotlySpec; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    const element = ref.current;
    void import("plotly.js-dist-min")
      .then(({ default: Plotly }) => {
        if (cancelled || !element) return;
        return Plotly.newPlot(
          element,
          (spec.data ?? []) as Plotly.Data[],
          { autosize: true, ...(spec.layout ?? {}) } as Partial<Plotly.Layout>,
          { responsive: true, displaylogo: false, ...(spec.config ?? {}) },
        );
      })
      .catch((cause: unknown) => {
        if (!cancelled) setError(cause instanceof Error ? cause.message : String(cause));
      });
    return () => {
      cancelled = true;
      if (element) void import("plotly.js-dist-min").then(({ default: Plotly }) => Plotly.purge(element));
    };
  }, [spec]);

  if (error) return <Box color="fg.error">Could not draw the chart: {error}</Box>;
  return <Box ref={ref} role="img" aria-label={label} minH="360px" w="100%" />;
}
