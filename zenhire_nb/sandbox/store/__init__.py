"""What a sandbox keeps: the SQLite database, tenants and their keys, personas, sessions, and
the artifact folder (recordings, transcripts, ground truth). No HTTP in here."""
