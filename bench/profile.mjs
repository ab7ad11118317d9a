/**
 * The self time of a V8 CPU profile (CDP `Profiler.stop`), by category and by function:
 * `classify(stack)` names the category of a sample's stack (its own frame first, then its
 * callers), `label(callFrame)` the function.
 */
export function summarizeProfile(profile, classify, label) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parents = new Map(profile.nodes.flatMap((n) => (n.children ?? []).map((child) => [child, n.id])));
  const stack = (id) => {
    const frames = [];
    for (let at = id; at !== undefined; at = parents.get(at)) frames.push(nodes.get(at).callFrame);
    return frames;
  };
  const self = new Map();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const categories = new Map();
  const functions = new Map();
  let totalMs = 0;
  for (const [id, us] of self) {
    const ms = us / 1000;
    const category = classify(stack(id));
    const name = label(nodes.get(id).callFrame);
    totalMs += ms;
    categories.set(category, (categories.get(category) ?? 0) + ms);
    const entry = functions.get(name) ?? { name, category, ms: 0 };
    entry.ms += ms;
    functions.set(name, entry);
  }
  const byTime = (a, b) => b.ms - a.ms;
  return {
    totalMs,
    categories: [...categories].map(([name, ms]) => ({ name, ms })).sort(byTime),
    functions: [...functions.values()].sort(byTime),
  };
}
