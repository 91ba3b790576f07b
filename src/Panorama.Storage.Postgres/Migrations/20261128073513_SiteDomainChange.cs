using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Panorama.Storage.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class SiteDomainChange : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "DomainChangedAt",
                table: "Sites",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PreviousDomain",
                table: "Sites",
                type: "character varying(253)",
                maxLength: 253,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DomainChangedAt",
                table: "Sites");

            migrationBuilder.DropColumn(
                name: "PreviousDomain",
                table: "Sites");
        }
    }
}
