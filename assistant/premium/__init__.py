"""Premium features: the catalogue, entitlement verification, unlock codes and the gate."""
