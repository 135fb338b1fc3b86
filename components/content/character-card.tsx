import { profileEntries, type DisplayValue } from "@/lib/domain/character-profile";

/** One attribute of a profile: its name, and its value as shown. */
function Term({ term, value, className }: { term: string; value: DisplayValue; className?: string }) {
  return (
    <div className={className}>
      <dt>{term}</dt>
      <dd>
        <Value value={value} />
      </dd>
    </div>
  );
}

function Value({ value }: { value: DisplayValue }) {
  switch (value.kind) {
    case "text":
      return <span className="profile-text">{value.text}</span>;
    case "list":
      return (
        <ul className="profile-list">
          {value.items.map((item, i) => (
            <li key={i}>
              <Value value={item} />
            </li>
          ))}
        </ul>
      );
    case "fields":
      return (
        <dl className="profile-fields">
          {value.fields.map((f, i) => (
            <Term key={`${f.label}-${i}`} term={f.label} value={f.value} />
          ))}
        </dl>
      );
  }
}

/**
 * The character card: every profile attribute, well-known ones (name, gender, age,
 * personality, speaking style, catchphrases …) first, the rest in the profile's order.
 * Keys and values are shown as written; React escapes them, so nothing is HTML.
 */
export function CharacterCard({
  name,
  profile,
  open = true,
  headingLevel = 2,
  label,
}: {
  name: string;
  profile: Record<string, unknown>;
  open?: boolean;
  headingLevel?: 2 | 3;
  /** Accessible name of the card, e.g. "Character card". */
  label: string;
}) {
  const entries = profileEntries(profile);
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <section className="panel character-card" aria-label={`${label}: ${name}`}>
      <details open={open}>
        <summary>
          <Heading className="character-name">{name}</Heading>
        </summary>
        <dl className="profile">
          {entries.map((entry, i) => (
            <Term
              key={`${entry.key}-${i}`}
              term={entry.key}
              value={entry.value}
              className={entry.attribute ? "profile-known" : undefined}
            />
          ))}
        </dl>
      </details>
    </section>
  );
}
