module github.com/akash-market/akash

go 1.26

require github.com/holiman/uint256 v1.3.2
