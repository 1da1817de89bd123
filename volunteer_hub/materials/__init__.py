"""Materials: posters, leaflets and flyers to download and print."""
