"""The site build: plan, verify, render (pages, QR codes, badges), write, swap; and the preview
server. Needs only public keys."""
