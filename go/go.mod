module syncbench

go 1.19
