9:name=systemd:/docker/abc
4:memory:/docker/abc
