"""Fault injection on the contract routes: the rules (:mod:`.rules`, documented there), the
ASGI layer that carries them out (:mod:`.middleware`) and the admin routes that read and
replace them (:mod:`.routes`)."""

from zenhire_nb.sandbox.faults.rules import (
    CONTRACT_ROUTES,
    FAULT_KINDS,
    FaultDecision,
    FaultInjector,
    FaultRule,
    load_faults_file,
    parse_fault,
    parse_faults,
)

__all__ = [
    "CONTRACT_ROUTES",
    "FAULT_KINDS",
    "FaultDecision",
    "FaultInjector",
    "FaultRule",
    "load_faults_file",
    "parse_fault",
    "parse_faults",
]
