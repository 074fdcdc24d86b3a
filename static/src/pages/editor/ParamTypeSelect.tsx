import { NativeSelect } from "@chakra-ui/react";
import { PARAM_TYPES, type ParamType } from "../../lib/workflowDoc";

/** A small select of fixed choices; `empty` adds a first choice for "none" (value ""). */
export function ChoiceSelect<T extends string>({
  label,
  value,
  choices,
  empty,
  choiceLabel = (c) => c,
  onChange,
  disabled,
  width,
}: {
  /** The accessible name, when no Field.Label names it. */
  label?: string;
  value: T | "";
  choices: readonly T[];
  empty?: string;
  choiceLabel?: (choice: T) => string;
  onChange: (choice: T | "") => void;
  disabled?: boolean;
  width?: string;
}) {
  return (
    <NativeSelect.Root size="sm" w={width} disabled={disabled}>
      <NativeSelect.Field aria-label={label} value={value} onChange={(e) => onChange(e.currentTarget.value as T | "")}>
        {empty !== undefined ? <option value="">{empty}</option> : null}
        {choices.map((c) => (
          <option key={c} value={c}>
            {choiceLabel(c)}
          </option>
        ))}
      </NativeSelect.Field>
      <NativeSelect.Indicator />
    </NativeSelect.Root>
  );
}

/** The JSON type of a run parameter or of a step's form field (both are Airflow Params). */
export function ParamTypeSelect({ label, value, onChange, disabled, width }: { label: string; value: ParamType; onChange: (type: ParamType) => void; disabled?: boolean; width?: string }) {
  return <ChoiceSelect label={label} value={value} choices={PARAM_TYPES} onChange={(t) => t && onChange(t)} disabled={disabled} width={width} />;
}
