"""Reports: Jinja2 templates rendered to self-contained HTML with inline SVG charts."""
