"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { createProjectAction, updateProjectAction } from "@/app/(research)/projects/actions";
import { type Notice, NoticeAlert } from "@/components/ui/alert";
import { Checkbox, Field, FieldError, Select } from "@/components/ui/form";
import { DIMENSIONS, inLocale } from "@/lib/domain/dimensions";
import type { Locale, MessageKey } from "@/lib/i18n";
import type { ProjectSettings } from "@/lib/validation/project-settings";

type Values = { slug: string; name: string; description: string; guidelines: string; settings: ProjectSettings };

/**
 * Create or edit a project. Settings go to the server as one object and are validated by
 * the same ProjectSettings schema as the API and CLI; errors appear next to their field.
 */
export function ProjectForm({
  mode,
  initial,
  locked,
  messages: m,
  locale,
}: {
  mode: "create" | "edit";
  initial: Values;
  /** Settings the data already depends on (mode once tasks exist, scale once judged). */
  locked: { mode: boolean; scalePoints: boolean };
  messages: Record<MessageKey, string>;
  locale: Locale;
}) {
  const router = useRouter();
  const [values, setValues] = useState<Values>(initial);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<Notice | null>(null);
  const [pending, startTransition] = useTransition();
  const s = values.settings;
  const set = (patch: Partial<ProjectSettings>) => setValues((v) => ({ ...v, settings: { ...v.settings, ...patch } }));

  function submit(e: React.FormEvent) {
    e.preventDefault();
    startTransition(async () => {
      const result = mode === "create" ? await createProjectAction(values) : await updateProjectAction(values);
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        setMessage({ ok: false, text: result.fieldErrors ? `${m["form.fixErrors"]} ${result.message}` : result.message });
        return;
      }
      setErrors({});
      setMessage({ ok: true, text: mode === "create" ? m["projects.created"] : m["projects.saved"] });
      router.push(`/projects/${result.data.slug}`);
      router.refresh();
    });
  }

  /** A number input; an emptied box stays empty (the schema then names the field) rather than becoming 0. */
  const numberField = (
    id: string,
    errorKey: string,
    label: MessageKey,
    value: number,
    onChange: (value: number) => void,
    attrs: { min: number; max: number; step?: number },
  ) => (
    <Field id={`f-${id}`} label={m[label]} errors={errors[errorKey]}>
      {(control) => (
        <input
          {...control}
          type="number"
          {...attrs}
          value={String(value)}
          onChange={(e) => onChange(e.target.value === "" ? ("" as unknown as number) : Number(e.target.value))}
        />
      )}
    </Field>
  );
  const num = (key: keyof ProjectSettings, label: MessageKey, attrs: { min: number; max: number; step?: number }) =>
    numberField(key, `settings.${key}`, label, s[key] as number, (n) => set({ [key]: n } as Partial<ProjectSettings>), attrs);
  const adaptive = (key: "extra" | "minPosterior", id: string, label: MessageKey, attrs: { min: number; max: number; step?: number }) =>
    numberField(
      id,
      `settings.adaptiveOverlap.${key}`,
      label,
      s.adaptiveOverlap[key],
      (n) => set({ adaptiveOverlap: { ...s.adaptiveOverlap, [key]: n } }),
      attrs,
    );
  const choice = <K extends "mode" | "scalePoints" | "rationale" | "pairing" | "pairSampling">(
    key: K,
    id: string,
    label: MessageKey,
    options: readonly (readonly [ProjectSettings[K], string])[],
    disabled = false,
  ) => (
    <Field id={`f-${id}`} label={m[label]} errors={errors[`settings.${key}`]}>
      {(control) => (
        <Select
          {...control}
          value={s[key]}
          disabled={disabled}
          onChange={(v) => set({ [key]: v } as Partial<ProjectSettings>)}
          options={options}
        />
      )}
    </Field>
  );
  const check = (key: keyof ProjectSettings, label: MessageKey) => (
    <Checkbox checked={Boolean(s[key])} onChange={(e) => set({ [key]: e.target.checked } as Partial<ProjectSettings>)}>
      {m[label]}
    </Checkbox>
  );

  return (
    <form className="stack panel" onSubmit={submit} noValidate>
      <NoticeAlert notice={message} />
      <div className="form-grid">
        <Field id="f-slug" label={m["form.slug"]} hint={m["form.slugHint"]} errors={errors.slug}>
          {(control) => (
            <input
              {...control}
              value={values.slug}
              readOnly={mode === "edit"}
              onChange={(e) => setValues({ ...values, slug: e.target.value })}
            />
          )}
        </Field>
        <Field id="f-name" label={m["form.name"]} errors={errors.name}>
          {(control) => <input {...control} value={values.name} onChange={(e) => setValues({ ...values, name: e.target.value })} />}
        </Field>
      </div>
      <Field id="f-description" label={m["form.description"]} errors={errors.description}>
        {(control) => (
          <input {...control} value={values.description} onChange={(e) => setValues({ ...values, description: e.target.value })} />
        )}
      </Field>
      <Field id="f-guidelines" label={m["form.guidelines"]} errors={errors.guidelines}>
        {(control) => (
          <textarea
            {...control}
            rows={8}
            value={values.guidelines}
            onChange={(e) => setValues({ ...values, guidelines: e.target.value })}
          />
        )}
      </Field>
      <div className="form-grid">
        {choice(
          "mode",
          "mode",
          "form.mode",
          (["pairwise", "ranking"] as const).map((k) => [k, m[`project.mode.${k}`]] as const),
          locked.mode,
        )}
        {choice(
          "scalePoints",
          "scale",
          "form.scalePoints",
          ([7, 5, 3, 2] as const).map((n) => [n, m[`form.scale.${n}`]] as const),
          locked.scalePoints,
        )}
        {num("overlap", "form.overlap", { min: 1, max: 20 })}
        {num("goldRatio", "form.goldRatio", { min: 0, max: 0.5, step: 0.01 })}
        {num("goldMinAccuracy", "form.goldMinAccuracy", { min: 0, max: 1, step: 0.05 })}
        {num("leaseMinutes", "form.leaseMinutes", { min: 1, max: 1440 })}
        {num("maxLeasesPerAnnotator", "form.maxLeases", { min: 1, max: 50 })}
        {num("editWindowMinutes", "form.editWindow", { min: 0, max: 10080 })}
        {choice(
          "rationale",
          "rationale",
          "form.rationale",
          (["off", "optional", "required_for_ties", "required_for_strong", "required"] as const).map(
            (r) => [r, m[`form.rationale.${r}`]] as const,
          ),
        )}
        {choice(
          "pairing",
          "pairing",
          "form.pairing",
          (["all_pairs", "baseline"] as const).map((p) => [p, m[`form.pairing.${p}`]] as const),
        )}
        {choice(
          "pairSampling",
          "pair-sampling",
          "form.pairSampling",
          (["uniform", "active"] as const).map((p) => [p, m[`form.pairSampling.${p}`]] as const),
        )}
        {s.pairing === "baseline" && (
          <Field id="f-baseline" label={m["form.baselineModel"]} errors={errors["settings.baselineModel"]}>
            {(control) => (
              <input {...control} value={s.baselineModel ?? ""} onChange={(e) => set({ baselineModel: e.target.value || undefined })} />
            )}
          </Field>
        )}
        {adaptive("extra", "adaptive-extra", "form.adaptiveExtra", { min: 0, max: 10 })}
        {s.adaptiveOverlap.extra > 0 && (
          <>
            {adaptive("minPosterior", "adaptive-posterior", "form.adaptiveMinPosterior", { min: 0.34, max: 1, step: 0.01 })}
            <Field id="f-adaptive-method" label={m["form.adaptiveMethod"]}>
              {(control) => (
                <Select
                  {...control}
                  value={s.adaptiveOverlap.method}
                  onChange={(method) => set({ adaptiveOverlap: { ...s.adaptiveOverlap, method } })}
                  options={(["dawid-skene", "mace", "majority"] as const).map((k) => [k, m[`export.consensus.${k}`]] as const)}
                />
              )}
            </Field>
          </>
        )}
      </div>
      <fieldset className="stack" style={{ border: "none", padding: 0, margin: 0 }}>
        <legend style={{ fontWeight: 600, marginBottom: "0.5rem" }}>{m["form.dimensions"]}</legend>
        <div className="checkbox-list">
          {DIMENSIONS.map((d) => (
            <label key={d.key} title={inLocale(d.rubric, locale)}>
              <input
                type="checkbox"
                checked={s.dimensions.includes(d.key)}
                onChange={(e) => set({ dimensions: e.target.checked ? [...s.dimensions, d.key] : s.dimensions.filter((k) => k !== d.key) })}
              />
              {inLocale(d.name, locale)}
            </label>
          ))}
        </div>
        <FieldError errors={errors["settings.dimensions"]} />
      </fieldset>
      <div className="stack" style={{ gap: "0.3rem" }}>
        {check("markdown", "form.markdown")}
        {check("allowRankingTies", "form.allowRankingTies")}
        {check("allowBothUnacceptable", "form.allowBothUnacceptable")}
        {check("safetyFlags", "form.safetyFlags")}
        {check("roleplayFlags", "form.roleplayFlags")}
        {check("allowRoleplayFlaggedChosen", "form.allowRoleplayFlaggedChosen")}
      </div>
      <div className="toolbar">
        <button className="btn btn-primary" type="submit" disabled={pending}>
          {mode === "create" ? m["form.create"] : m["form.save"]}
        </button>
        <button className="btn" type="button" onClick={() => router.back()}>
          {m["form.cancel"]}
        </button>
      </div>
    </form>
  );
}
