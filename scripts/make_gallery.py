"""Render the README's chart gallery from the sample cohort into ``docs/images/charts-*.png``.

    python scripts/make_gallery.py        # needs the export extra (kaleido) and a Chromium

One PNG per chart type, 1000 px wide at scale 1 (small files: the whole gallery stays well under
1.5 MB). Regenerate after changing a chart or the samples.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from zenhire_nb import charts, samples  # noqa: E402

WIDTH = 1000


def main() -> None:
    out = ROOT / "docs" / "images"
    out.mkdir(parents=True, exist_ok=True)
    cohort, check = samples.cohort(), samples.stt_check()
    completed = cohort.sessions[cohort.sessions["status"] == "completed"]
    verbose = str(completed.loc[completed["candidate_ref"] == "cand-004", "session_id"].iloc[0])
    figures = {
        "length": charts.interview_length(cohort, by="role_name"),
        "credits": charts.credits_vs_duration(cohort, by="role_name"),
        "spend": charts.spend_over_time(cohort, by="role_name"),
        "answers-heatmap": charts.answers_heatmap(cohort, by="role_name"),
        "answers-per-question": charts.answer_distributions(cohort, by="role_name"),
        "talk-time": charts.talk_time(cohort, by="role_name"),
        "status": charts.status_timing(cohort, by="role_name"),
        "stt-agreement": charts.stt_agreement(check, sessions=cohort, by="role_name"),
        "candidate": charts.candidate_vs_cohort(
            cohort, verbose, by="role_name", metrics=["duration_min", "mean_answer_words",
                                                      "mean_latency_sec", "talk_ratio"]
        ),
        "comparison": charts.cohort_comparison(cohort, by="tag:concise,verbose"),
    }  # fmt: skip
    total = 0
    for name, fig in figures.items():
        path = out / f"charts-{name}.png"
        fig.write_image(path, width=WIDTH, height=fig.layout.height or 500, scale=1)
        total += path.stat().st_size
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size / 1024:.0f} KB")
    print(f"gallery: {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
