"""Background work across several workers of one installation (uvicorn workers or hosts on
one database): which worker runs a job that must run once (`leases`), and sections of
work that one worker at a time may do (`locks`)."""
