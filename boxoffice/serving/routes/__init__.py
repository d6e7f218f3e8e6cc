"""The service's endpoints by concern; each module's ``add_routes`` puts its routes on the app's own router."""
