"""Shops and products of the demo: realistic Calais city-centre merchants."""

# (name, category, address, phone, description, opening hours, colour)
SHOPS = [
    (
        "Le Comptoir de l'Îlot",
        "ess_shop",
        "Centre commercial Cœur de Vie, 62100 Calais",
        "03 21 00 10 01",
        "La boutique solidaire d'ADLC : produits bio de Terre d'Opale, créations des artisans de "
        "Made in Calais et vêtements sérigraphiés dans les ateliers d'insertion.",
        "Du mardi au samedi, 10 h – 19 h",
        "#0f5c4d",
    ),
    (
        "Boulangerie du Beffroi",
        "bakery",
        "12 Boulevard Jacquard, 62100 Calais",
        "03 21 00 10 02",
        "Pains au levain, viennoiseries pur beurre et pâtisseries du jour, à deux pas de l'hôtel "
        "de ville.",
        "Du mardi au dimanche, 7 h – 19 h 30",
        "#8d5524",
    ),
    (
        "Boucherie Lafayette",
        "butcher",
        "30 Boulevard Lafayette, 62100 Calais",
        "03 21 00 10 03",
        "Viandes d'éleveurs de la Côte d'Opale, charcuterie maison et plats du jour.",
        "Du mardi au samedi, 8 h – 13 h et 15 h – 19 h",
        "#9b2226",
    ),
    (
        "Primeur des Halles",
        "greengrocer",
        "18 Rue Mollien, 62100 Calais",
        "03 21 00 10 04",
        "Fruits et légumes de saison, en direct des maraîchers du Calaisis.",
        "Du mardi au samedi, 8 h – 19 h",
        "#2d6a4f",
    ),
    (
        "Fromagerie de la Place d'Armes",
        "cheese",
        "Place d'Armes, 62100 Calais",
        "03 21 00 10 05",
        "Fromages fermiers du Nord et d'ailleurs, crèmerie et conseils d'affinage.",
        "Du mardi au samedi, 9 h – 19 h",
        "#b08900",
    ),
    (
        "Épicerie fine du Courgain",
        "grocery",
        "5 Rue Royale, 62100 Calais",
        "03 21 00 10 06",
        "Conserves de la mer, biscuits, bières et douceurs de la Côte d'Opale.",
        "Du lundi au samedi, 9 h 30 – 19 h",
        "#1d3557",
    ),
    (
        "Fleurs de Dentelle",
        "florist",
        "25 Rue de Vic, 62100 Calais",
        "03 21 00 10 07",
        "Bouquets de saison et plantes, composés à la demande.",
        "Du mardi au dimanche matin, 9 h – 19 h",
        "#c2185b",
    ),
]
