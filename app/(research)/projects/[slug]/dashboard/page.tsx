import type { Metadata } from "next";
import { ANNOTATOR_SORTS, annotatorSortValue, type AnnotatorSort } from "@/components/dashboard/annotator-sort";
import { AnnotatorModelsPanel, LeaderFragilityLine } from "@/components/dashboard/annotator-models";
import { ExtendUncertainButton } from "@/components/dashboard/extend-button";
import { UpkeepNote } from "@/components/dashboard/upkeep-note";
import { can } from "@/lib/auth/permissions";
import { AnnotatorTable } from "@/components/dashboard/annotator-table";
import { DashboardFilters } from "@/components/dashboard/dashboard-filters";
import { interval, num, pct } from "@/components/dashboard/format";
import { Leaderboard } from "@/components/dashboard/leaderboard";
import { LiveLeaderboardPanel } from "@/components/dashboard/live-leaderboard";
import { RoleplayFlagTable } from "@/components/dashboard/roleplay-flag-table";
import { ThroughputChart } from "@/components/dashboard/throughput-chart";
import { ProjectTabs } from "@/components/research/project-tabs";
import { Alert } from "@/components/ui/alert";
import { Note, Page, Section } from "@/components/ui/page";
import { ProgressBar } from "@/components/ui/progress-bar";
import { Table } from "@/components/ui/table";
import { dimensionName } from "@/lib/domain/dimensions";
import { AppError } from "@/lib/errors";
import { pageData, staffPage, type PageProps } from "@/lib/pages";
import type { MessageKey } from "@/lib/i18n";
import { getAnnotatorModels } from "@/lib/services/consensus";
import { getLiveLeaderboard } from "@/lib/services/live-leaderboard";
import { getProjectUpkeep } from "@/lib/services/project-upkeep";
import { getRoleplayFlagCounts } from "@/lib/services/roleplay-flags";
import { getProjectStats, type Figure } from "@/lib/services/stats";

export const metadata: Metadata = { title: "Dashboard" };
// Reads searchParams, so it is rendered per request; said explicitly because its data must never be prerendered.
export const dynamic = "force-dynamic";

const PAGE_SIZE = 50;

export default async function DashboardPage({ params, searchParams }: PageProps<{ slug: string }>) {
  const { actor, ctx, locale, t, messages: m } = await staffPage("stats.read");
  const [{ slug }, q] = await Promise.all([params, searchParams]);
  const filters = {
    from: q.from ?? "",
    to: q.to ?? "",
    character: q.character ?? "",
    model: q.model ?? "",
    annotator: q.annotator ?? "",
    dimension: q.dimension ?? "",
  };
  let error: AppError | null = null;
  const stats = await pageData(getProjectStats(ctx, { projectSlug: slug, ...filters })).catch((e: unknown) => {
    // A filter the service refuses is shown beside the form, not as an error page.
    if (e instanceof AppError && e.code === "VALIDATION") {
      error = e;
      return null;
    }
    throw e;
  });
  const dimLabel = (key: string) => dimensionName(key, locale);
  // Flagged judgments only (a partial index): cheap beside the statistics above.
  const flagCounts = stats ? await getRoleplayFlagCounts(ctx, { projectSlug: slug }) : { byModel: [], byAnnotator: [] };
  if (!stats) {
    return (
      <Page title={t("nav.dashboard")} tabs={<ProjectTabs slug={slug} current="dashboard" t={t} />}>
        <Alert>{(error as AppError | null)?.message}</Alert>
      </Page>
    );
  }

  const sortId = (ANNOTATOR_SORTS as readonly string[]).includes(q.sort ?? "") ? (q.sort as AnnotatorSort) : "judgments";
  const desc = q.sort ? q.desc === "1" : true;
  const sorted = [...stats.annotators].sort((a, b) => {
    const x = annotatorSortValue(a, sortId);
    const y = annotatorSortValue(b, sortId);
    if (x === y) return (a.id ?? 0) - (b.id ?? 0);
    if (x === null) return 1;
    if (y === null) return -1;
    return (x < y ? -1 : 1) * (desc ? -1 : 1);
  });
  const page = Math.max(1, Math.min(Number(q.page) || 1, Math.ceil(sorted.length / PAGE_SIZE) || 1));
  const a = stats.agreement;
  const figures: [MessageKey, Figure, MessageKey][] = [
    ["dashboard.percentWithTies", a.percentWithTies, "dashboard.pairs"],
    ["dashboard.percentWithoutTies", a.percentWithoutTies, "dashboard.pairs"],
    ["dashboard.alphaNominal", a.alphaNominal, "dashboard.values"],
    ["dashboard.alphaOrdinal", a.alphaOrdinal, "dashboard.values"],
    ["dashboard.alphaInterval", a.alphaInterval, "dashboard.values"],
    ["dashboard.fleiss", a.fleiss, "dashboard.raters"],
  ];
  const p = stats.progress;
  // The annotator models are fitted on request: several seconds on a large project.
  const showModels = q.models === "1";
  const models = showModels ? await getAnnotatorModels(ctx, { projectSlug: slug, ...filters }) : null;
  // Which steps run in the background and what the last run did: the project by slug, then its one upkeep row.
  const upkeep = stats.project.kind === "static" ? await getProjectUpkeep(ctx, { projectSlug: slug }) : null;
  const modelsLink = (on: boolean) => {
    const params = new URLSearchParams(Object.entries({ ...filters, models: on ? "1" : "" }).filter(([, v]) => v !== ""));
    return `?${params.toString()}#models-h`;
  };
  // Live projects: the leaderboard of their sessions' turns, first turns of branches unless asked.
  const allTurns = q.turns === "all";
  const live = stats.project.kind === "live" ? await getLiveLeaderboard(ctx, { projectSlug: slug, allTurns }) : null;
  const turnsLink = (all: boolean) => {
    const params = new URLSearchParams(Object.entries({ ...filters, turns: all ? "all" : "" }).filter(([, v]) => v !== ""));
    return `?${params.toString()}#live-leaderboard-h`;
  };
  return (
    <Page title={t("dashboard.title", { name: stats.project.name })} tabs={<ProjectTabs slug={slug} current="dashboard" t={t} />}>
      <DashboardFilters
        values={filters}
        options={{ ...stats.options, dimensions: stats.project.dimensions.map((k) => ({ key: k, label: dimLabel(k) })) }}
        messages={m}
      />
      <Note>
        {t("dashboard.generated", {
          at: new Date(stats.generatedAt).toLocaleString(locale),
          ms: stats.computeMs,
          cached: stats.cached ? t("dashboard.cached") : "",
          rounds: stats.bootstrap.rounds,
          seed: stats.bootstrap.seed,
        })}
      </Note>

      <Section id="progress-h" title={t("dashboard.progress")}>
        <ProgressBar value={p.done} max={p.needed} label={t("dashboard.progress")} />
        <p style={{ margin: 0 }}>
          {t("dashboard.progressText", { done: p.done, needed: p.needed, tasks: p.tasks, complete: p.completeTasks, gold: p.goldTasks })}
        </p>
        {stats.throughput.perDay.length === 0 ? (
          <p className="muted">{t("dashboard.noData")}</p>
        ) : (
          <div className="grid-cards">
            <ThroughputChart
              title={t("dashboard.perDay")}
              periodLabel={t("dashboard.day")}
              points={stats.throughput.perDay.map((d) => ({ label: d.day, judgments: d.judgments }))}
              messages={m}
            />
            <ThroughputChart
              title={t("dashboard.perHour")}
              periodLabel={t("dashboard.hour")}
              points={stats.throughput.perHour.map((d) => ({ label: d.hour.slice(5, 16).replace("T", " "), judgments: d.judgments }))}
              messages={m}
            />
          </div>
        )}
      </Section>

      <Section
        id="agreement-h"
        title={t("dashboard.agreement")}
        note={t("dashboard.agreementNote", {
          judgments: stats.counted.judgments,
          tasks: stats.counted.tasks,
          pairable: stats.counted.pairableTasks,
        })}
      >
        <Table
          caption={t("dashboard.agreement")}
          captionHidden
          rows={figures}
          rowKey={([label]) => label}
          columns={[
            { header: t("dashboard.figure"), rowHeader: true, cell: ([label]) => t(label) },
            { header: t("dashboard.value"), cell: ([label, f]) => (label.startsWith("dashboard.percent") ? pct(f.value) : num(f.value)) },
            {
              header: t("dashboard.interval"),
              cell: ([label, f]) => (label.startsWith("dashboard.percent") ? interval(f.ci, pct) : interval(f.ci)),
            },
            { header: t("dashboard.basis"), cell: ([, f, basis]) => t(basis, { n: f.n, tasks: f.tasks }) },
          ]}
        />
        <h3>{t("dashboard.dimensions")}</h3>
        <Table
          caption={t("dashboard.dimensions")}
          captionHidden
          rows={stats.dimensions}
          rowKey={(d) => d.dimension}
          empty={t("dashboard.noDimensions")}
          columns={[
            { header: t("dashboard.dimension"), rowHeader: true, cell: (d) => dimLabel(d.dimension) },
            { header: "α ordinal", cell: (d) => num(d.ordinal) },
            { header: "α interval", cell: (d) => num(d.interval) },
            { header: t("dashboard.basis"), cell: (d) => t("dashboard.units", { units: d.units, values: d.values }) },
          ]}
        />
      </Section>

      <Section
        id="annotators-h"
        title={t("dashboard.annotators")}
        note={t("dashboard.flagRules", { seconds: num(stats.overall.medianSeconds, 1), gold: pct(stats.project.goldMinAccuracy) })}
      >
        <AnnotatorTable
          rows={sorted.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)}
          overall={stats.overall}
          paging={{ total: sorted.length, page, pageSize: PAGE_SIZE }}
          sort={{ id: sortId, desc }}
          messages={m}
        />
      </Section>

      <Section id="models-h" title={t("models.title")} note={t("models.intro")}>
        {upkeep && <UpkeepNote upkeep={upkeep} messages={m} locale={locale} />}
        {models ? (
          <>
            <AnnotatorModelsPanel models={models} messages={m} />
            {can(actor.role, "task.extend") && <ExtendUncertainButton projectSlug={slug} messages={m} />}
            <a href={modelsLink(false)}>{t("models.hide")}</a>
          </>
        ) : (
          <a className="btn" style={{ alignSelf: "flex-start" }} href={modelsLink(true)}>
            {t("models.fit")}
          </a>
        )}
      </Section>

      {live && <LiveLeaderboardPanel board={live} switchHref={turnsLink(!allTurns)} messages={m} />}

      <Section id="leaderboard-h" title={t("dashboard.leaderboard")}>
        {stats.leaderboard ? (
          <Leaderboard board={stats.leaderboard} messages={m} />
        ) : (
          <p className="muted">{t("dashboard.noLeaderboard")}</p>
        )}
        {stats.leaderboard &&
          (models ? (
            <LeaderFragilityLine fragility={models.fragility} messages={m} />
          ) : (
            <a href={modelsLink(true)}>{t("models.fragilityFit")}</a>
          ))}
      </Section>

      <Section id="roleplay-flags-h" title={t("flags.dashboard")} note={t("flags.dashboardHelp")}>
        {flagCounts.byModel.length === 0 ? (
          <p className="muted">{t("flags.none")}</p>
        ) : (
          <div className="grid-cards">
            <RoleplayFlagTable lines={flagCounts.byModel} first={t("flags.col.model")} caption={t("flags.col.model")} messages={m} />
            <RoleplayFlagTable
              lines={flagCounts.byAnnotator}
              first={t("flags.col.annotator")}
              caption={t("flags.col.annotator")}
              messages={m}
            />
          </div>
        )}
      </Section>
    </Page>
  );
}
