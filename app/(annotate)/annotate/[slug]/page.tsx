import type { Metadata } from "next";
import { Workspace } from "@/components/annotate/workspace";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { pageData } from "@/lib/pages";
import { messagesFor } from "@/lib/i18n";
import { getTranslator } from "@/lib/i18n/server";
import { getWorkspaceProject } from "@/lib/services/workspace";

export const metadata: Metadata = { title: "Annotate" };

export default async function AnnotatePage({ params }: { params: Promise<{ slug: string }> }) {
  const actor = await requireUser();
  const { slug } = await params;
  const { locale } = await getTranslator();
  const project = await pageData(getWorkspaceProject({ db: getDb(), actor }, { slug }), { forbidden: ["FORBIDDEN"] });
  return (
    <div className="stack">
      <h1 style={{ marginBottom: 0 }}>{project.name}</h1>
      {/* The lease is taken by the client on mount: a page GET (or a prefetch) never takes work. */}
      <Workspace slug={project.slug} guidelines={project.guidelines} messages={messagesFor(locale)} locale={locale} />
    </div>
  );
}
