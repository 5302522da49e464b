"""The platform's rules, independent of HTTP: the state one app holds, starting a session,
completion through the interview backend seam, the signed completion webhook (sender and
receiver), rate limits and timestamps."""
