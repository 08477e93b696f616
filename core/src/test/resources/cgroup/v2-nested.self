0::/system.slice/app.service
