"""The application kind of W1, as the engine's registry knows it (registered in ReadingsConfig.ready())."""

METER_READINGS = "meter_readings"
# The term used since W1 went live; no published rule sets it, so staff may change it per tenant
# in the admin (ApplicationKind.due_working_days).
METER_READINGS_TERM = 5
