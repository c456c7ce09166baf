"""The contact page: suggested answers, deflections, requests forwarded to support."""
