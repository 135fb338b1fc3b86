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
  // The lease is taken by the client on mount: a page GET (or a prefetch) never takes work.
  return (
    <Workspace
      slug={project.slug}
      name={project.name}
      guidelines={project.guidelines}
      userId={actor.id}
      messages={messagesFor(locale)}
      locale={locale}
    />
  );
}
