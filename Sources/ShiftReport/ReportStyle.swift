/// The report's styles. Colours are Okabe-Ito's palette (distinguishable with the common colour-vision
/// deficiencies), with a dark variant; every rule is scoped to the chart or the page, so the chart's styles
/// inside the page cannot restyle it.
enum ReportStyle {
    /// The chart's styles, inside its `<svg>` (so a standalone SVG keeps them).
    static let chart = """
    .shift-chart{--bg:#ffffff;--fg:#1f2328;--muted:#57606a;--grid:#e3e7eb;--axis:#8c959f;--original:#0072b2;--target:#d55e00;--target-area:rgba(213,94,0,.13);\
    --good:#009e73;--bad:#c23b00;--hold:#a2477a;--ok-band:rgba(0,158,115,.28);--alarm-band:#d55e00;--alarm-hatch:#ffd9c2;--pause:rgba(162,71,122,.35);\
    --insufficient:#d0d7de;--insufficient-dot:#8c959f;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;font-size:12px}
    @media (prefers-color-scheme: dark){.shift-chart{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--grid:#262c34;--axis:#6e7681;--original:#56b4e9;--target:#e69f00;\
    --target-area:rgba(230,159,0,.16);--good:#2ec4a0;--bad:#ff7a45;--hold:#e08fc0;--ok-band:rgba(46,196,160,.30);--alarm-band:#e8682a;--alarm-hatch:#5c2a12;\
    --pause:rgba(224,143,192,.40);--insufficient:#30363d;--insufficient-dot:#8b949e}}
    .shift-chart .background{fill:var(--bg)}
    .shift-chart text{fill:var(--fg)}
    .shift-chart .title{font-size:18px;font-weight:600}
    .shift-chart .subtle,.shift-chart .panel-unit,.shift-chart .axis-note,.shift-chart .tick-x,.shift-chart .tick-y,.shift-chart .note{fill:var(--muted)}
    .shift-chart .subtitle{font-size:13px;fill:var(--muted)}
    .shift-chart .status.good{fill:var(--good);font-weight:600}
    .shift-chart .status.bad{fill:var(--bad);font-weight:600}
    .shift-chart .panel-title{font-weight:600;font-size:13px}
    .shift-chart .panel-unit{font-size:11px}
    .shift-chart .tick-y,.shift-chart .lane-label{text-anchor:end;font-size:11px}
    .shift-chart .tick-x{text-anchor:middle;font-size:11px}
    .shift-chart .axis-note{text-anchor:end;font-size:11px}
    .shift-chart .grid{stroke:var(--grid);stroke-width:1}
    .shift-chart .axis{stroke:var(--axis);stroke-width:1}
    .shift-chart .weight{fill:none;stroke:var(--target);stroke-width:2.5;stroke-linejoin:round}
    .shift-chart .weight-area{fill:var(--target-area)}
    .shift-chart .weight-step{fill:var(--bg);stroke:var(--target);stroke-width:2}
    .shift-chart .series{fill:none;stroke-width:2;stroke-linejoin:round}
    .shift-chart .series.original{stroke:var(--original);stroke-dasharray:6 4}
    .shift-chart .series.target{stroke:var(--target)}
    .shift-chart .series.other{stroke:var(--axis);stroke-dasharray:2 3}
    .shift-chart .mark.original{fill:var(--original)}
    .shift-chart .mark.target{fill:var(--target)}
    .shift-chart .mark.other{fill:var(--axis)}
    .shift-chart .lane{fill:none;stroke:var(--grid)}
    .shift-chart .band-ok{fill:var(--ok-band)}
    .shift-chart .band-alarm{fill:url(#shift-hatch-alarm)}
    .shift-chart .band-insufficient{fill:url(#shift-dots-insufficient)}
    .shift-chart .hatch-alarm-bg{fill:var(--alarm-hatch)}
    .shift-chart .hatch-alarm-fg{fill:var(--alarm-band)}
    .shift-chart .dots-bg{fill:var(--insufficient)}
    .shift-chart .dots-fg{fill:var(--insufficient-dot)}
    .shift-chart .band-label{font-size:10px;font-weight:600}
    .shift-chart .band-label.alarm{fill:var(--fg);paint-order:stroke;stroke:var(--bg);stroke-width:3px}
    .shift-chart .pause{fill:url(#shift-hatch-pause)}
    .shift-chart .hatch-pause{fill:var(--pause)}
    .shift-chart .marker-line{stroke-width:1;stroke-dasharray:3 3}
    .shift-chart .marker-line.neutral{stroke:var(--axis)}
    .shift-chart .marker-line.bad{stroke:var(--bad);stroke-width:1.5}
    .shift-chart .marker.good path,.shift-chart .marker.good rect,.shift-chart .marker.good circle{fill:var(--good)}
    .shift-chart .marker.hold path,.shift-chart .marker.hold rect,.shift-chart .marker.hold circle{fill:var(--hold)}
    .shift-chart .marker.bad path,.shift-chart .marker.bad rect,.shift-chart .marker.bad circle{fill:var(--bad)}
    .shift-chart .marker text{font-size:11px;font-weight:600}
    .shift-chart .legend line{stroke-width:2.5}
    .shift-chart .legend text{font-size:12px}
    """

    /// The page's styles around the chart.
    static let page = """
    :root{color-scheme:light dark;--bg:#f6f8fa;--card:#ffffff;--fg:#1f2328;--muted:#57606a;--line:#d0d7de;--good:#00785a;--bad:#b33600;--hold:#8f3d6c;\
    --good-bg:#e3f5ee;--bad-bg:#fdebe1;--hold-bg:#f6e6ef;--code:#eff2f5}
    @media (prefers-color-scheme: dark){:root{--bg:#010409;--card:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#30363d;--good:#2ec4a0;--bad:#ff7a45;--hold:#e08fc0;\
    --good-bg:#0f2a22;--bad-bg:#33180b;--hold-bg:#2e1526;--code:#161b22}}
    *{box-sizing:border-box}
    body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
    main{max-width:1000px;margin:0 auto;padding:24px 20px 48px}
    h1{font-size:22px;margin:0 0 4px}
    h2{font-size:16px;margin:32px 0 10px}
    h3{font-size:14px;margin:18px 0 6px}
    .card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 16px}
    .facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:12px 0 0}
    .facts dt{color:var(--muted)}
    .facts dd{margin:0}
    .badge{display:inline-block;padding:1px 10px;border-radius:999px;font-weight:600;font-size:13px;vertical-align:middle;margin-left:8px}
    .good{color:var(--good)} .bad{color:var(--bad)} .hold{color:var(--hold)}
    .badge.good{background:var(--good-bg)} .badge.bad{background:var(--bad-bg)} .badge.hold{background:var(--hold-bg)}
    .callout{border-left:4px solid var(--bad);background:var(--bad-bg);padding:10px 14px;border-radius:4px;margin:16px 0 0}
    .callout.good{border-color:var(--good);background:var(--good-bg)}
    .callout.hold{border-color:var(--hold);background:var(--hold-bg)}
    .muted{color:var(--muted)}
    figure{margin:20px 0 0;overflow-x:auto}
    figure svg{display:block;max-width:100%;height:auto;border:1px solid var(--line);border-radius:8px}
    table{border-collapse:collapse;width:100%;font-size:13px}
    th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
    th{color:var(--muted);font-weight:600}
    td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
    td.time{white-space:nowrap;font-variant-numeric:tabular-nums;color:var(--muted)}
    code{background:var(--code);padding:1px 5px;border-radius:4px;font-size:12px}
    details{margin-top:10px}
    summary{cursor:pointer;color:var(--muted)}
    footer{margin-top:36px;color:var(--muted);font-size:12px}
    """
}
