"""Knowledge portal of the German public sector open-source community."""
