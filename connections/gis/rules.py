"""Which power centres may feed a connection, and how much capacity a request takes."""

from decimal import ROUND_UP, Decimal

from django.conf import settings

from connections.models import PowerCentre

Kind = PowerCentre.Kind

# A connection at 0.4 kV is made from the low-voltage side of a 10(6)/0.4 kV transformer point,
# or from a 0.4 kV pole or feeder; a 110/35 kV substation feeds the medium-voltage network, never a
# house directly. The W2 service connects up to 150 kW from the 0.4 kV network only; "10" is here
# for a medium-voltage request, which only a substation can feed.
FEEDING_KINDS = {
    "0.4": (Kind.TRANSFORMER_POINT, Kind.POLE, Kind.FEEDER),
    "10": (Kind.SUBSTATION,),
    "6": (Kind.SUBSTATION,),
}


def feeding_kinds(voltage):
    try:
        return FEEDING_KINDS[str(voltage)]
    except KeyError:
        raise ValueError(f"No power centres feed connections at {voltage} kV") from None


def required_kva(power_kw):
    """Apparent power a request takes from a centre: S = P / cos φ, with the design power factor
    of settings.CONNECTIONS_POWER_FACTOR (0.9 by default, a conservative figure for households:
    a centre is never offered that a motor-heavy house would overload), rounded up to 0.1 kVA as
    the centres' capacities are kept."""
    power_factor = Decimal(str(settings.CONNECTIONS_POWER_FACTOR))
    return (Decimal(str(power_kw)) / power_factor).quantize(Decimal("0.1"), rounding=ROUND_UP)
