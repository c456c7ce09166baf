"""Bounties: an asker stakes points on a hard question, paid to the accepted answer."""
