import type { Metadata } from "next";
import { ProjectForm } from "@/components/research/project-form";
import { requirePermission } from "@/lib/auth/session";
import { messagesFor } from "@/lib/i18n";
import { getTranslator } from "@/lib/i18n/server";
import { Page } from "@/components/ui/page";
import { defaultProjectSettings } from "@/lib/validation/project-settings";

export const metadata: Metadata = { title: "New project" };

export default async function NewProjectPage() {
  await requirePermission("project.write");
  const { locale, t } = await getTranslator();
  return (
    <Page title={t("projects.newTitle")}>
      <ProjectForm
        mode="create"
        initial={{ slug: "", name: "", description: "", guidelines: "", settings: defaultProjectSettings() }}
        locked={{ mode: false, scalePoints: false }}
        messages={messagesFor(locale)}
        locale={locale}
      />
    </Page>
  );
}
