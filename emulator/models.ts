export interface Model {
  id: string;
  type: "model";
  display_name: string;
  source: "system" | "user";
  is_enabled: boolean;
  is_new: boolean;
  price_factor?: number;
  efforts?: string[];
  default_effort?: string;
  default_context_window?: number;
  available_context_windows?: number[];
}

const model = (id: string, display_name: string, price_factor: number, extra: Partial<Model> = {}): Model => ({
  id,
  type: "model",
  display_name,
  source: "system",
  is_enabled: true,
  is_new: false,
  price_factor,
  ...extra,
});

const windows = { default_context_window: 200000, available_context_windows: [200000] };

/** Default catalogue: the ids the docs mention; `auto` has no efforts, so only the string form fits it. */
export const DEFAULT_MODELS: Model[] = [
  model("ultimate", "Ultimate", 1.6, {
    efforts: ["low", "medium", "high", "xhigh", "max"],
    default_effort: "medium",
    default_context_window: 200000,
    available_context_windows: [200000, 1000000],
  }),
  model("performance", "Performance", 1, { efforts: ["low", "medium", "high"], default_effort: "medium", ...windows }),
  model("efficient", "Efficient", 0.5, { efforts: ["low", "medium", "high"], default_effort: "medium", ...windows }),
  model("lite", "Lite", 0.2, { efforts: ["none", "low", "medium"], default_effort: "low", ...windows }),
  model("auto", "Auto", 1),
];
