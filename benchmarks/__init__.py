"""Scale benchmarks: synthetic tenants of 1,000 to 50,000 users, the whole program under Pulumi's
mock runtime next to the SDK's own floor, the offline plan and the planner alone.
Run with `make bench` (or `python -m benchmarks --help`)."""
