import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";

/** What a form control needs to be tied to its label, hint and error. */
export type ControlProps = { id: string; "aria-invalid"?: true; "aria-describedby"?: string };

/** A field's messages from an action's `fieldErrors`, joined; nothing when it has none. */
export function FieldError({ id, errors }: { id?: string; errors?: readonly string[] }) {
  return errors?.length ? (
    <span className="field-error" id={id}>
      {errors.join(" ")}
    </span>
  ) : null;
}

/**
 * A labelled form field: label, control, optional hint and the server's errors for it.
 * The control is rendered by `children` with its id, aria-invalid and aria-describedby
 * (the hint and the error), so a screen reader reads them with the control.
 */
export function Field({
  id,
  label,
  hint,
  errors,
  children,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  errors?: readonly string[];
  children: (control: ControlProps) => ReactNode;
}) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const invalid = Boolean(errors?.length);
  const describedBy = [hint ? hintId : null, invalid ? errorId : null].filter(Boolean).join(" ");
  const control: ControlProps = {
    id,
    ...(invalid ? { "aria-invalid": true as const } : {}),
    ...(describedBy ? { "aria-describedby": describedBy } : {}),
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(control)}
      {hint && (
        <span className="muted" id={hintId} style={{ fontSize: "0.8rem" }}>
          {hint}
        </span>
      )}
      <FieldError id={errorId} errors={errors} />
    </div>
  );
}

/** A checkbox with its label beside it (a form's on/off option). */
export function Checkbox({ children, ...input }: Omit<InputHTMLAttributes<HTMLInputElement>, "type"> & { children: ReactNode }) {
  return (
    <label style={{ display: "flex", gap: "0.4rem", fontWeight: 400 }}>
      <input type="checkbox" {...input} />
      {children}
    </label>
  );
}

/** A form's primary button in its toolbar row, disabled while the form is busy. */
export function SubmitRow({ busy, children }: { busy: boolean; children: ReactNode }) {
  return (
    <div className="toolbar">
      <button className="btn btn-primary" type="submit" disabled={busy}>
        {children}
      </button>
    </div>
  );
}

/**
 * A select over a fixed list of `[value, label]` options; `onChange` receives the option's
 * own value (typed, a number stays a number) rather than the element's string.
 */
export function Select<V extends string | number>({
  options,
  value,
  onChange,
  ...select
}: Omit<SelectHTMLAttributes<HTMLSelectElement>, "value" | "onChange"> & {
  options: readonly (readonly [V, ReactNode])[];
  value?: V;
  onChange?: (value: V) => void;
}) {
  return (
    <select {...select} value={value} onChange={onChange && ((e) => onChange(options.find(([v]) => String(v) === e.target.value)![0]))}>
      {options.map(([v, label]) => (
        <option key={v} value={v}>
          {label}
        </option>
      ))}
    </select>
  );
}

/** A filter of a GET form (a list's query): the label wraps its select, sent as `name`. */
export function FilterSelect<V extends string | number>({ label, ...select }: Parameters<typeof Select<V>>[0] & { label: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: Select renders the <select> this label wraps
    <label>
      {label} <Select {...select} />
    </label>
  );
}
