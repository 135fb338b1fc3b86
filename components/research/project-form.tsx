"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { createProjectAction, updateProjectAction } from "@/app/(research)/projects/actions";
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
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const s = values.settings;
  const set = (patch: Partial<ProjectSettings>) => setValues((v) => ({ ...v, settings: { ...v.settings, ...patch } }));
  const err = (key: string) =>
    errors[key] ? (
      <span className="field-error" id={`err-${key}`}>
        {errors[key]!.join(" ")}
      </span>
    ) : null;
  const described = (key: string) => (errors[key] ? { "aria-invalid": true, "aria-describedby": `err-${key}` } : {});

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

  const num = (key: keyof ProjectSettings, label: MessageKey, attrs: { min: number; max: number; step?: number }) => (
    <div className="field">
      <label htmlFor={`f-${key}`}>{m[label]}</label>
      <input
        id={`f-${key}`}
        type="number"
        {...attrs}
        value={String(s[key] as number)}
        onChange={(e) =>
          set({ [key]: e.target.value === "" ? ("" as unknown as number) : Number(e.target.value) } as Partial<ProjectSettings>)
        }
        {...described(`settings.${key}`)}
      />
      {err(`settings.${key}`)}
    </div>
  );
  const check = (key: keyof ProjectSettings, label: MessageKey) => (
    <label style={{ fontWeight: 400, display: "flex", gap: "0.4rem" }}>
      <input type="checkbox" checked={Boolean(s[key])} onChange={(e) => set({ [key]: e.target.checked } as Partial<ProjectSettings>)} />
      {m[label]}
    </label>
  );

  return (
    <form className="stack panel" onSubmit={submit} noValidate>
      {message && (
        <p className={`alert ${message.ok ? "alert-ok" : "alert-error"}`} role={message.ok ? "status" : "alert"}>
          {message.text}
        </p>
      )}
      <div className="form-grid">
        <div className="field">
          <label htmlFor="f-slug">{m["form.slug"]}</label>
          <input
            id="f-slug"
            value={values.slug}
            readOnly={mode === "edit"}
            onChange={(e) => setValues({ ...values, slug: e.target.value })}
            {...described("slug")}
          />
          <span className="muted" style={{ fontSize: "0.8rem" }}>
            {m["form.slugHint"]}
          </span>
          {err("slug")}
        </div>
        <div className="field">
          <label htmlFor="f-name">{m["form.name"]}</label>
          <input id="f-name" value={values.name} onChange={(e) => setValues({ ...values, name: e.target.value })} {...described("name")} />
          {err("name")}
        </div>
      </div>
      <div className="field">
        <label htmlFor="f-description">{m["form.description"]}</label>
        <input id="f-description" value={values.description} onChange={(e) => setValues({ ...values, description: e.target.value })} />
        {err("description")}
      </div>
      <div className="field">
        <label htmlFor="f-guidelines">{m["form.guidelines"]}</label>
        <textarea
          id="f-guidelines"
          rows={8}
          value={values.guidelines}
          onChange={(e) => setValues({ ...values, guidelines: e.target.value })}
        />
        {err("guidelines")}
      </div>
      <div className="form-grid">
        <div className="field">
          <label htmlFor="f-mode">{m["form.mode"]}</label>
          <select
            id="f-mode"
            value={s.mode}
            disabled={locked.mode}
            onChange={(e) => set({ mode: e.target.value as ProjectSettings["mode"] })}
            {...described("settings.mode")}
          >
            <option value="pairwise">{m["project.mode.pairwise"]}</option>
            <option value="ranking">{m["project.mode.ranking"]}</option>
          </select>
          {err("settings.mode")}
        </div>
        <div className="field">
          <label htmlFor="f-scale">{m["form.scalePoints"]}</label>
          <select
            id="f-scale"
            value={s.scalePoints}
            disabled={locked.scalePoints}
            onChange={(e) => set({ scalePoints: Number(e.target.value) as ProjectSettings["scalePoints"] })}
            {...described("settings.scalePoints")}
          >
            {([7, 5, 3, 2] as const).map((n) => (
              <option key={n} value={n}>
                {m[`form.scale.${n}`]}
              </option>
            ))}
          </select>
          {err("settings.scalePoints")}
        </div>
        {num("overlap", "form.overlap", { min: 1, max: 20 })}
        {num("goldRatio", "form.goldRatio", { min: 0, max: 0.5, step: 0.01 })}
        {num("goldMinAccuracy", "form.goldMinAccuracy", { min: 0, max: 1, step: 0.05 })}
        {num("leaseMinutes", "form.leaseMinutes", { min: 1, max: 1440 })}
        {num("maxLeasesPerAnnotator", "form.maxLeases", { min: 1, max: 50 })}
        {num("editWindowMinutes", "form.editWindow", { min: 0, max: 10080 })}
        <div className="field">
          <label htmlFor="f-rationale">{m["form.rationale"]}</label>
          <select id="f-rationale" value={s.rationale} onChange={(e) => set({ rationale: e.target.value as ProjectSettings["rationale"] })}>
            {(["off", "optional", "required_for_ties", "required_for_strong", "required"] as const).map((r) => (
              <option key={r} value={r}>
                {m[`form.rationale.${r}`]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-pairing">{m["form.pairing"]}</label>
          <select id="f-pairing" value={s.pairing} onChange={(e) => set({ pairing: e.target.value as ProjectSettings["pairing"] })}>
            <option value="all_pairs">{m["form.pairing.all_pairs"]}</option>
            <option value="baseline">{m["form.pairing.baseline"]}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-pair-sampling">{m["form.pairSampling"]}</label>
          <select
            id="f-pair-sampling"
            value={s.pairSampling}
            onChange={(e) => set({ pairSampling: e.target.value as ProjectSettings["pairSampling"] })}
          >
            <option value="uniform">{m["form.pairSampling.uniform"]}</option>
            <option value="active">{m["form.pairSampling.active"]}</option>
          </select>
        </div>
        {s.pairing === "baseline" && (
          <div className="field">
            <label htmlFor="f-baseline">{m["form.baselineModel"]}</label>
            <input
              id="f-baseline"
              value={s.baselineModel ?? ""}
              onChange={(e) => set({ baselineModel: e.target.value || undefined })}
              {...described("settings.baselineModel")}
            />
            {err("settings.baselineModel")}
          </div>
        )}
        <div className="field">
          <label htmlFor="f-adaptive-extra">{m["form.adaptiveExtra"]}</label>
          <input
            id="f-adaptive-extra"
            type="number"
            min={0}
            max={10}
            value={String(s.adaptiveOverlap.extra)}
            onChange={(e) =>
              set({
                adaptiveOverlap: {
                  ...s.adaptiveOverlap,
                  extra: e.target.value === "" ? ("" as unknown as number) : Number(e.target.value),
                },
              })
            }
            {...described("settings.adaptiveOverlap.extra")}
          />
          {err("settings.adaptiveOverlap.extra")}
        </div>
        {s.adaptiveOverlap.extra > 0 && (
          <>
            <div className="field">
              <label htmlFor="f-adaptive-posterior">{m["form.adaptiveMinPosterior"]}</label>
              <input
                id="f-adaptive-posterior"
                type="number"
                min={0.34}
                max={1}
                step={0.01}
                value={String(s.adaptiveOverlap.minPosterior)}
                onChange={(e) =>
                  set({
                    adaptiveOverlap: {
                      ...s.adaptiveOverlap,
                      minPosterior: e.target.value === "" ? ("" as unknown as number) : Number(e.target.value),
                    },
                  })
                }
                {...described("settings.adaptiveOverlap.minPosterior")}
              />
              {err("settings.adaptiveOverlap.minPosterior")}
            </div>
            <div className="field">
              <label htmlFor="f-adaptive-method">{m["form.adaptiveMethod"]}</label>
              <select
                id="f-adaptive-method"
                value={s.adaptiveOverlap.method}
                onChange={(e) =>
                  set({ adaptiveOverlap: { ...s.adaptiveOverlap, method: e.target.value as ProjectSettings["adaptiveOverlap"]["method"] } })
                }
              >
                <option value="dawid-skene">{m["export.consensus.dawid-skene"]}</option>
                <option value="mace">{m["export.consensus.mace"]}</option>
                <option value="majority">{m["export.consensus.majority"]}</option>
              </select>
            </div>
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
        {err("settings.dimensions")}
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
