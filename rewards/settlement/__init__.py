"""Settlement: available points become credits on members' verified customer accounts."""
