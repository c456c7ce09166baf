from django.urls import include, path

from branding import views

brand = [
    path("brand.css", views.brand_css, name="css"),
    path("imprint/", views.imprint, name="imprint"),
]

urlpatterns = [path("", include((brand, "branding")))]
