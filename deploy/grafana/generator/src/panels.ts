import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

/** The datasource that deploy/grafana/provisioning/datasources/prometheus.yml provisions. */
export const PROMETHEUS: common.DataSourceRef = { type: 'prometheus', uid: 'churn-prometheus' };

/** One PromQL query of a panel: the expression and the legend of its series. */
export interface Query {
  readonly expr: string;
  readonly legend?: string;
  /** Evaluated once at the end of the range (stat panels): Grafana's "instant" query type. */
  readonly instant?: boolean;
}

export interface PanelOptions {
  readonly title: string;
  readonly description: string;
  readonly queries: readonly Query[];
  readonly unit?: string;
  /** Grid width out of 24 (default 12) and height (default 8). */
  readonly width?: number;
  readonly height?: number;
  readonly min?: number;
  readonly max?: number;
  readonly decimals?: number;
  readonly stack?: boolean;
}

function query(q: Query): prometheus.DataqueryBuilder {
  const builder = new prometheus.DataqueryBuilder()
    .datasource(PROMETHEUS)
    .expr(q.expr)
    .legendFormat(q.legend ?? '__auto');
  return q.instant ? builder.instant() : builder.range();
}

export function timeSeries(options: PanelOptions): timeseries.PanelBuilder {
  const panel = new timeseries.PanelBuilder()
    .title(options.title)
    .description(options.description)
    .datasource(PROMETHEUS)
    .span(options.width ?? 12)
    .height(options.height ?? 8)
    .unit(options.unit ?? 'short')
    .lineWidth(1)
    .fillOpacity(options.stack ? 40 : 10)
    .showPoints(common.VisibilityMode.Never)
    .legend(new common.VizLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom))
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending));
  if (options.stack) panel.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  if (options.min !== undefined) panel.min(options.min);
  if (options.max !== undefined) panel.max(options.max);
  if (options.decimals !== undefined) panel.decimals(options.decimals);
  for (const q of options.queries) panel.withTarget(query(q));
  return panel;
}

/** A big number (last value), one per series. */
export function singleStat(options: PanelOptions & { readonly thresholds?: ReadonlyArray<{ value: number | null; color: string }> }): stat.PanelBuilder {
  const panel = new stat.PanelBuilder()
    .title(options.title)
    .description(options.description)
    .datasource(PROMETHEUS)
    .span(options.width ?? 6)
    .height(options.height ?? 5)
    .unit(options.unit ?? 'short')
    .colorMode(common.BigValueColorMode.Value)
    .graphMode(common.BigValueGraphMode.Area)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .thresholds(
      new dashboard.ThresholdsConfigBuilder()
        .mode(dashboard.ThresholdsMode.Absolute)
        .steps((options.thresholds ?? [{ value: null, color: 'blue' }]).map(({ value, color }) => ({ value, color }))),
    );
  if (options.decimals !== undefined) panel.decimals(options.decimals);
  for (const q of options.queries) panel.withTarget(query({ ...q, instant: q.instant ?? true }));
  return panel;
}

export function row(title: string): dashboard.RowBuilder {
  return new dashboard.RowBuilder(title);
}

/** A multi-value variable over the values of one label of a series (Prometheus `label_values`). */
export function labelVariable(name: string, label: string, selector: string): dashboard.QueryVariableBuilder {
  const definition = `label_values(${selector}, ${label})`;
  return new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(PROMETHEUS)
    .query({ qryType: 1, query: definition, refId: 'PrometheusVariableQueryEditor-VariableQuery' })
    .definition(definition)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.*')
    .current({ selected: true, text: 'All', value: '$__all' });
}

/**
 * A single-value variable over the first part (before ":") of a label's values: the monitoring
 * service's cohort dimensions, which come from the active feature spec (risk_level plus the spec's own).
 */
export function prefixVariable(name: string, label: string, selector: string, labelName: string, selected: string): dashboard.QueryVariableBuilder {
  const definition = `label_values(${selector}, ${labelName})`;
  return new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(PROMETHEUS)
    .query({ qryType: 1, query: definition, refId: 'PrometheusVariableQueryEditor-VariableQuery' })
    .definition(definition)
    .regex('/^([^:]+):/')
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(false)
    .includeAll(false)
    .current({ selected: true, text: selected, value: selected });
}

/** A single-value variable over fixed values (the monitoring service's windows, say). */
export function customVariable(name: string, label: string, values: readonly string[], selected: string): dashboard.CustomVariableBuilder {
  return new dashboard.CustomVariableBuilder(name)
    .label(label)
    .values(values.join(','))
    .current({ selected: true, text: selected, value: selected })
    .options(values.map((value) => ({ selected: value === selected, text: value, value })))
    .multi(false)
    .includeAll(false);
}

export interface DashboardOptions {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly from: string;
  readonly variables: ReadonlyArray<dashboard.QueryVariableBuilder | dashboard.CustomVariableBuilder>;
  /** Rows and the panels under each, in order. */
  readonly rows: ReadonlyArray<readonly [string, ReadonlyArray<timeseries.PanelBuilder | stat.PanelBuilder>]>;
}

type Json = Record<string, unknown>;

/**
 * Builds the dashboard with the SDK, then gives every panel an id and every query a refId (the SDK
 * leaves both to the caller; Grafana needs them to address panels and queries).
 */
export function buildDashboard(options: DashboardOptions): Json {
  const builder = new dashboard.DashboardBuilder(options.title)
    .uid(options.uid)
    .description(options.description)
    .tags(['churn-radar'])
    .editable()
    .timezone('browser')
    .time({ from: options.from, to: 'now' })
    .refresh('30s')
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .link(
      new dashboard.DashboardLinkBuilder('Churn Radar')
        .type(dashboard.DashboardLinkType.Dashboards)
        .tags(['churn-radar'])
        .asDropdown(true)
        .includeVars(false)
        .keepTime(true),
    );
  for (const variable of options.variables) builder.withVariable(variable);
  for (const [title, panels] of options.rows) {
    builder.withRow(row(title));
    for (const panel of panels) builder.withPanel(panel);
  }
  const built = JSON.parse(JSON.stringify(builder.build())) as Json & { panels: Json[] };
  let id = 1;
  for (const panel of built.panels) {
    panel['id'] = id++;
    const targets = (panel['targets'] ?? []) as Json[];
    targets.forEach((target, i) => (target['refId'] = String.fromCharCode(65 + i)));
  }
  return built;
}
