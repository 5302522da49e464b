"""Simulated interviews through the sandbox, end to end: ``POST /sandbox/sessions/{id}/simulate``
for a 10-minute interview (simulation, artifact store, signed webhook, billing) and a demo
cohort, each compared with the length of the audio produced, side by side in one run.

Run: ``python benchmarks/bench_sandbox_simulate.py``. Ratios are wall time / audio time.
"""

from __future__ import annotations

import time

from zenhire_nb.sandbox import Sandbox

TARGET_ROUTE_RATIO = 0.1  # a 10-minute interview in under a minute, end to end
TARGET_COHORT_RATIO = 0.1


def main() -> None:
    with Sandbox() as sb, sb.client() as client:
        persona = client.personas.create(role_name="Data Analyst", language="en")
        session = client.sessions.create(persona.id, consent_mode="integrator")
        started = time.perf_counter()
        answer = sb.admin.simulate(session.id, seed=1, target_minutes=10)
        route_wall = time.perf_counter() - started
        route_audio = float(answer["duration_sec"])

        started = time.perf_counter()
        cohort = sb.seed_demo_cohort(6, target_minutes=2, failure_rate=0, timeout_rate=0)
        cohort_wall = time.perf_counter() - started
        cohort_audio = float(
            sum(client.sessions.get(s).duration_sec or 0 for s in cohort.completed)
        )

    route_ratio, cohort_ratio = route_wall / route_audio, cohort_wall / cohort_audio
    print(
        f"simulate route: {route_audio:.0f} s of interview in {route_wall:.2f} s "
        f"({1 / route_ratio:.0f}x faster than real time)"
    )
    print(
        f"demo cohort: 6 sessions, {cohort_audio:.0f} s of interviews in {cohort_wall:.2f} s "
        f"({1 / cohort_ratio:.0f}x faster than real time)"
    )
    for name, ratio, target in (
        ("sandbox_simulate_ratio", route_ratio, TARGET_ROUTE_RATIO),
        ("demo_cohort_ratio", cohort_ratio, TARGET_COHORT_RATIO),
    ):
        verdict = "PASS" if ratio <= target else "FAIL"
        print(f"BENCH {name}: {ratio:.4f} (target <= {target}) {verdict}")


if __name__ == "__main__":
    main()
