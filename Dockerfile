# syntax=docker/dockerfile:1
# ClvPortal web/worker image: docker build -t clvportal . (docker compose up --build does it for you).

# Build stage: the .NET 10 SDK.
FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
WORKDIR /src
# The architecture being built for (amd64, arm64), which dotnet's -a accepts as it is. BuildKit sets it; the
# default serves the classic builder, which does not.
ARG TARGETARCH=amd64
# Restore first, from the project files only, so code edits do not invalidate the package layer.
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY ClvPortal.Core/ClvPortal.Core.csproj ClvPortal.Core/
COPY ClvPortal.Web/ClvPortal.Web.csproj ClvPortal.Web/
RUN dotnet restore ClvPortal.Web/ClvPortal.Web.csproj -a $TARGETARCH -p:PublishReadyToRun=true
COPY ClvPortal.Core/ ClvPortal.Core/
COPY ClvPortal.Web/ ClvPortal.Web/
COPY models/ models/
# ReadyToRun: the assemblies ship compiled, so a fresh process does not spend its first analysis compiling the
# reader and cleaner (a third of a 1M-row file's CPU in a new process; see docs/benchmarks.md).
RUN dotnet publish ClvPortal.Web/ClvPortal.Web.csproj -c Release -a $TARGETARCH -o /app --no-restore -p:PublishReadyToRun=true -p:UseAppHost=false

# Runtime stage: ASP.NET Core 10 on Ubuntu 24.04 "noble". Microsoft ships no Debian images for
# .NET 10 (the default tags are Ubuntu), and noble's universe has libxgboost0, the native
# XGBoost library that model training calls through its C API.
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends libxgboost0 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
COPY models/ ./models/
# The image's unprivileged user; ASP.NET Core images listen on 8080 (ASPNETCORE_HTTP_PORTS).
USER $APP_UID
EXPOSE 8080
ENTRYPOINT ["dotnet", "ClvPortal.Web.dll"]
