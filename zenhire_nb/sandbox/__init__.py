"""Local stand-in for the ZenHire platform."""
