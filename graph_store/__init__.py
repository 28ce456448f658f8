"""Where the graph lives: the embedded Oxigraph store on disk, and export."""
