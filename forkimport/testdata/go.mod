module example.org/app

go 1.22

require github.com/awesome-you/tool v1.0.0

replace github.com/awesome-you/tool => ./fork
