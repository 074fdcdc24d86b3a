import { NativeSelect } from "@chakra-ui/react";
import { PARAM_TYPES, type ParamType } from "../../lib/workflowDoc";

/** The JSON type of a run parameter or of a step's form field (both are Airflow Params). */
export function ParamTypeSelect({
  label,
  value,
  onChange,
  disabled,
  width,
}: {
  label: string;
  value: ParamType;
  onChange: (type: ParamType) => void;
  disabled?: boolean;
  width?: string;
}) {
  return (
    <NativeSelect.Root size="sm" w={width} disabled={disabled}>
      <NativeSelect.Field aria-label={label} value={value} onChange={(e) => onChange(e.currentTarget.value as ParamType)}>
        {PARAM_TYPES.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </NativeSelect.Field>
      <NativeSelect.Indicator />
    </NativeSelect.Root>
  );
}
