/** The parts of a Grafana dashboard JSON that run PromQL: panel targets, template variables, annotations. */

export interface DashboardQuery {
  /** Where it is, for failure messages: "panel 'Tunnels down' A" or "annotation 'Rekeys'". */
  where: string;
  expr: string;
  /** Grafana runs it as an instant query (stat, table) or a range query (time series, annotations). */
  instant: boolean;
}

export interface DashboardVariable {
  name: string;
  /** The variable's query, e.g. `label_values(tunnelwatch_tunnel_up{router="$router"}, peer)`. */
  query: string;
  includeAll: boolean;
  allValue: string | undefined;
}

interface Target {
  expr?: string;
  refId?: string;
  instant?: boolean;
  range?: boolean;
}
interface Panel {
  title?: string;
  type?: string;
  targets?: Target[];
  panels?: Panel[];
}
interface Annotation {
  name?: string;
  builtIn?: number;
  expr?: string;
  target?: { expr?: string };
}
interface TemplateVariable {
  name: string;
  type: string;
  query?: string | { query?: string };
  includeAll?: boolean;
  allValue?: string;
}
export interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating?: { list: TemplateVariable[] };
  annotations?: { list: Annotation[] };
}

/** Every panel (rows included) and its targets; a panel without a PromQL target is reported as one with expr "". */
export function panelQueries(dashboard: Dashboard): DashboardQuery[] {
  const queries: DashboardQuery[] = [];
  const visit = (panel: Panel) => {
    if (panel.type === 'row') {
      for (const child of panel.panels ?? []) visit(child);
      return;
    }
    const targets = panel.targets ?? [];
    if (targets.length === 0) queries.push({ where: `panel '${panel.title}'`, expr: '', instant: false });
    for (const target of targets) {
      queries.push({
        where: `panel '${panel.title}' ${target.refId ?? ''}`.trim(),
        expr: target.expr ?? '',
        instant: target.instant === true && target.range !== true,
      });
    }
  };
  for (const panel of dashboard.panels) visit(panel);
  return queries;
}

export function annotationQueries(dashboard: Dashboard): DashboardQuery[] {
  return (dashboard.annotations?.list ?? [])
    .filter((annotation) => annotation.builtIn !== 1)
    .map((annotation) => ({
      where: `annotation '${annotation.name}'`,
      expr: annotation.target?.expr ?? annotation.expr ?? '',
      instant: false,
    }));
}

export function templateVariables(dashboard: Dashboard): DashboardVariable[] {
  return (dashboard.templating?.list ?? []).map((variable) => {
    if (variable.type !== 'query')
      throw new Error(`variable ${variable.name}: type ${variable.type} is not tested`);
    const query = typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? '');
    return {
      name: variable.name,
      query,
      includeAll: variable.includeAll === true,
      allValue: variable.allValue,
    };
  });
}

/** Grafana's `label_values(selector, label)` as the label and series selector Prometheus's API takes. */
export function parseLabelValues(query: string): { label: string; match: string } {
  const found = /^label_values\((.+),\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)$/.exec(query.trim());
  if (found === null) throw new Error(`not a label_values(selector, label) query: ${query}`);
  return { match: found[1]!.trim(), label: found[2]! };
}

/** Grafana's built-in interval variables, as they would be for a short time range and a 1 s scrape interval. */
export interface BuiltinIntervals {
  interval: string;
  rateInterval: string;
  range: string;
}

/**
 * Substitutes template variables (`$name`, `${name}`) and Grafana's built-ins into `text`. Throws when a `$`
 * reference is left that nothing defines, so a typo in a variable name fails the test.
 */
export function substitute(text: string, values: Record<string, string>, builtins: BuiltinIntervals): string {
  const all: Record<string, string> = {
    ...values,
    __interval: builtins.interval,
    __rate_interval: builtins.rateInterval,
    __range: builtins.range,
  };
  return text.replace(/\$\{?(\w+)\}?/g, (reference, name: string) => {
    const value = all[name];
    if (value === undefined) throw new Error(`undefined variable ${reference} in: ${text}`);
    return value;
  });
}
