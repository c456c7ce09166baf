"""Appeals: filing and deciding them (services), a member's decisions pages (views)."""
