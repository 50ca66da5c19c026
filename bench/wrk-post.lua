-- POSTs the JSON body from WRK_BODY on every request; headers come from wrk's -H flags.
wrk.method = "POST"
wrk.body = os.getenv("WRK_BODY")
wrk.headers["Content-Type"] = "application/json"
