/** A GET form choosing the project a lead page shows (?project=slug). */
export function ProjectPicker({
  projects,
  current,
  label,
  submit,
}: {
  projects: readonly { slug: string; name: string }[];
  current: string | undefined;
  label: string;
  submit: string;
}) {
  return (
    <form method="get" className="table-toolbar">
      <label>
        {label}{" "}
        <select name="project" defaultValue={current}>
          {projects.map((p) => (
            <option key={p.slug} value={p.slug}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <button className="btn" type="submit">
        {submit}
      </button>
    </form>
  );
}
