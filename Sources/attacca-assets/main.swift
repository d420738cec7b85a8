print("attacca-assets")
